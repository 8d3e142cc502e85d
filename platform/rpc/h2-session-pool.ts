import http2 from "node:http2";

/** One connection of the pool and the number of streams it carries now. */
interface Held {
  session: http2.ClientHttp2Session;
  streams: number;
}

/**
 * The h2c sessions a client keeps to one upstream origin. Sessions connect on first use and are
 * replaced once they close, fail or receive GOAWAY (a draining server finishes the streams it has
 * but takes no new ones). A session holds the event loop open only while it carries a stream, so
 * an idle client never keeps a process alive, and a pending call always does.
 */
export class H2SessionPool {
  private readonly slots: Array<Held | undefined>;
  private next = 0;

  /** `size` sessions spread the framing work of many concurrent calls over as many sockets. */
  constructor(
    private readonly origin: string,
    size = 1,
    private readonly options: http2.ClientSessionOptions = {},
  ) {
    this.slots = new Array<Held | undefined>(size).fill(undefined);
  }

  /** Opens a stream on one of the sessions (round robin). Throws when no session can take it. */
  request(headers: http2.OutgoingHttpHeaders): http2.ClientHttp2Stream {
    const slot = this.next;
    this.next = (slot + 1) % this.slots.length;
    let held = this.slots[slot];
    if (held === undefined || held.session.closed || held.session.destroyed) held = this.connect(slot);
    const stream = held.session.request(headers, { endStream: false });
    if (held.streams++ === 0) held.session.ref();
    const h = held;
    stream.once("close", () => {
      if (--h.streams === 0 && !h.session.destroyed) h.session.unref();
    });
    return stream;
  }

  /** Closes every session once its streams are done. */
  close(): void {
    for (const held of this.slots) held?.session.close();
    this.slots.fill(undefined);
  }

  private connect(slot: number): Held {
    const held: Held = { session: http2.connect(this.origin, this.options), streams: 0 };
    const retire = () => {
      if (this.slots[slot] === held) this.slots[slot] = undefined;
    };
    // A session error also fails its streams, and each stream reports it to its caller.
    held.session.on("error", retire);
    held.session.on("goaway", retire);
    held.session.on("close", retire);
    held.session.unref();
    this.slots[slot] = held;
    return held;
  }
}
