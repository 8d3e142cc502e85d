/**
 * The mesh's service directory: every domain service, its default port, and how its address is
 * overridden from the environment. The launcher, the typed clients and the edge all read it, so a
 * port is written down exactly once.
 */
export const SERVICE_PORTS = {
  identity: 7001,
  catalog: 7002,
  media: 7003,
  playback: 7004,
  library: 7005,
  rating: 7006,
  search: 7007,
  recommendation: 7008,
  browse: 7009,
  notification: 7010,
  analytics: 7011,
} as const;

export type ServiceName = keyof typeof SERVICE_PORTS;

export const SERVICE_NAMES = Object.keys(SERVICE_PORTS) as ServiceName[];

export const EDGE_PORT = 8080;

type Env = Record<string, string | undefined>;

/** `CATALOG_PORT` overrides the port a service listens on. */
export function servicePort(name: ServiceName, env: Env = process.env): number {
  const raw = env[`${name.toUpperCase()}_PORT`];
  return raw === undefined || raw === "" ? SERVICE_PORTS[name] : Number(raw);
}

/** `CATALOG_ADDR=http://10.0.0.5:7002` overrides where clients reach a service. */
export function serviceAddress(name: ServiceName, env: Env = process.env): string {
  return env[`${name.toUpperCase()}_ADDR`] || `http://127.0.0.1:${servicePort(name, env)}`;
}

export function isServiceName(s: string): s is ServiceName {
  return Object.hasOwn(SERVICE_PORTS, s);
}

/** The service that owns a protobuf package: `cinemesh.catalog.v1` → `catalog`. */
export function serviceOfPackage(protoPackage: string): ServiceName | undefined {
  const [root, domain] = protoPackage.split(".");
  return root === "cinemesh" && domain !== undefined && isServiceName(domain) ? domain : undefined;
}
