import type { DescService } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import type { Logger } from "pino";
import { createTokenVerifier } from "../auth/tokens.js";
import type { Env } from "../config.js";
import { createLogger } from "../logger.js";
import { startProcessTracing } from "../telemetry/process-tracing.js";
import { Upstreams } from "../rpc/clients.js";
import type { ServiceName } from "../services.js";
import { FaultSwitch } from "./faults.js";
import { ServiceResources } from "./resources.js";
import { readServiceConfig, type ServiceConfig } from "./service-config.js";
import { startServiceHost, type HttpHandler, type ServiceHost } from "./service-host.js";

/** What a service's setup receives: config, logger, engines opened on demand, clients for other services. */
export interface ServiceRuntime {
  config: ServiceConfig;
  env: Env;
  logger: Logger;
  resources: ServiceResources;
  upstreams: Upstreams;
}

export interface ServiceWiring {
  routes: (router: ConnectRouter) => void;
  /** Plain HTTP endpoints beside the RPCs (e.g. tus uploads); resolve true when handled. */
  http?: HttpHandler;
  /** Closes what setup opened (pools, consumers), after the last call has finished. */
  close?: () => Promise<void>;
}

export interface ServiceDefinition {
  name: ServiceName;
  /** The gRPC services this process serves. */
  services: DescService[];
  /** Opens the service's adapters and returns its handlers. */
  setup: (rt: ServiceRuntime) => Promise<ServiceWiring>;
}

/** Starts a service with the platform host; returns a stop function (graceful). */
export async function startService(def: ServiceDefinition, env: Env): Promise<{ host: ServiceHost; stop: () => Promise<void> }> {
  const config = readServiceConfig(def.name, env);
  const logger = createLogger(def.name, config.logLevel);
  const verifier = await createTokenVerifier(config.authPublicKeyPem, { servicePublicKeyPem: config.serviceTokenPublicKeyPem });
  const resources = new ServiceResources(env, def.name, logger);
  let wiring: ServiceWiring;
  try {
    wiring = await def.setup({ config, env, logger, resources, upstreams: new Upstreams(env) });
  } catch (err) {
    await resources.close();
    throw err;
  }
  const host = await startServiceHost({
    name: def.name,
    port: config.port,
    operatorPort: config.operatorPort,
    host: config.host,
    logger,
    verifier,
    services: def.services,
    routes: wiring.routes,
    http: wiring.http,
    maxTimeoutMs: config.maxTimeoutMs,
    shutdownGraceMs: config.shutdownGraceMs,
    limits: config.limits,
    timeouts: config.timeouts,
    faults: config.faultsEnabled ? new FaultSwitch() : undefined,
  });
  return {
    host,
    async stop() {
      await host.close();
      await wiring.close?.();
      await resources.close();
      logger.info("stopped");
    },
  };
}

/**
 * A service process's main: start tracing (when configured) and the service, then stop gracefully
 * and exit 0 on SIGTERM or SIGINT, sending the last spans on the way out.
 */
export function runServiceMain(def: ServiceDefinition): void {
  const tracing = startProcessTracing(def.name, process.env);
  startService(def, process.env).then(
    ({ stop }) => exitOnSignal(async () => {
      await stop();
      await tracing.shutdown();
    }),
    (err: unknown) => {
      console.error(`${def.name} failed to start:`, err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}

export function exitOnSignal(stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error("shutdown failed:", err);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
