import { useEffect, useRef } from 'react';

/** Calls `fn` every `seconds`; does nothing when `seconds` is 0. */
export function useInterval(fn: () => void, seconds: number) {
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => {
    if (seconds <= 0) return undefined;
    const id = setInterval(() => latest.current(), seconds * 1000);
    return () => clearInterval(id);
  }, [seconds]);
}
