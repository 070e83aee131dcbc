import { useRevalidator } from "@remix-run/react";
import { useEffect } from "react";

/**
 * A live page reads the record again whenever someone comes back to the window. Not on a timer: a
 * request would count as activity and keep an unattended screen signed in.
 */
export function useLiveData() {
  const { revalidate, state } = useRevalidator();
  useEffect(() => {
    const refresh = () => {
      if (state === "idle") revalidate();
    };
    window.addEventListener("focus", refresh);
    return () => window.removeEventListener("focus", refresh);
  }, [revalidate, state]);
}
