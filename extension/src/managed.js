// Reading the managed policy without ever waiting on it: chrome.storage.managed.get() is not ready for a few seconds
// after the browser starts and, in one reproducible race, never settles for the whole session.

/**
 * Reads area.get() but gives up after timeoutMs. Resolves to { status, values }: status 'ok' with the values,
 * 'timeout' or 'error' with values null. When the read settles after the time-out, onLate(values) is called, so the
 * caller can still apply a policy that arrives late.
 */
export function readManaged(area, timeoutMs, onLate = () => {}) {
  if (!area || typeof area.get !== 'function') {
    return Promise.resolve({ status: 'error', values: null });
  }
  return new Promise((resolve) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      resolve({ status: 'timeout', values: null });
    }, timeoutMs);
    let pending;
    try {
      pending = Promise.resolve(area.get());
    } catch {
      pending = Promise.reject(new Error('get failed'));
    }
    pending.then(
      (values) => {
        if (settled) {
          onLate(values ?? {});
          return;
        }
        settled = true;
        clearTimeout(timer);
        resolve({ status: 'ok', values: values ?? {} });
      },
      () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status: 'error', values: null });
      },
    );
  });
}
