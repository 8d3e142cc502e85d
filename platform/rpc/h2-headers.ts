import type http2 from "node:http2";

/** The HTTP/2 header block as fetch `Headers`, without the pseudo-headers (`:status`, `:path`, ...). */
export function webHeaders(h: http2.IncomingHttpHeaders): Headers {
  const out = new Headers();
  for (const k of Object.keys(h)) {
    if (k.charCodeAt(0) === 58 /* ":" */) continue;
    const v = h[k];
    if (typeof v === "string") out.append(k, v);
    else if (Array.isArray(v)) for (const item of v) out.append(k, item);
    else if (v !== undefined) out.append(k, String(v));
  }
  return out;
}

/** Adds `Headers` to an outgoing HTTP/2 header block. */
export function addNodeHeaders(into: http2.OutgoingHttpHeaders, h: Headers): http2.OutgoingHttpHeaders {
  h.forEach((value, key) => (into[key] = value));
  return into;
}
