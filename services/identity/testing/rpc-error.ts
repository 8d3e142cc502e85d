import { ConnectError } from "@connectrpc/connect";

/** The error a call failed with (fails the test if the call succeeded). */
export async function rpcError(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (err) {
    return ConnectError.from(err);
  }
  throw new Error("expected the call to fail, but it succeeded");
}
