/**
 * Abort listeners that scale: however many requests share one caller's `AbortSignal` (a bot
 * queueing 250 calls under one signal), the signal gets a single listener, so Node never warns
 * about a possible listener leak (`MaxListenersExceededWarning`).
 */

/** Per signal, the callbacks to run when it aborts (created on first use). */
let callbacksBySignal: WeakMap<AbortSignal, Set<() => void>> | undefined;

/**
 * Runs `callback` once when `signal` aborts. Returns a function that unregisters it; call it when
 * the work the signal guards is over.
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  callbacksBySignal ??= new WeakMap();
  let callbacks = callbacksBySignal.get(signal);
  if (callbacks === undefined) {
    const registered = new Set<() => void>();
    callbacks = registered;
    callbacksBySignal.set(signal, registered);
    signal.addEventListener(
      'abort',
      () => {
        callbacksBySignal?.delete(signal);
        for (const registeredCallback of [...registered]) registeredCallback();
        registered.clear();
      },
      { once: true },
    );
  }
  const set = callbacks;
  set.add(callback);
  return () => {
    set.delete(callback);
  };
}
