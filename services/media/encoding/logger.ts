/** The logging surface the encoding module needs (pino's, narrowed); injected by the caller. */
export interface EncodingLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export const silentLogger: EncodingLogger = { info() {}, warn() {} };
