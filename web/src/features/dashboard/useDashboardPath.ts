/** The dashboard's place from the URL (/dashboard/<section>/<subpath>), with history navigation. */
import { useCallback, useEffect, useState } from "react";

export interface DashboardPath {
  section: string | undefined;
  subpath: string;
}

export function parseDashboardPath(pathname: string): DashboardPath {
  const [, , section, ...rest] = pathname.replace(/\/+$/, "").split("/");
  return { section: section || undefined, subpath: rest.map(decodeURIComponent).join("/") };
}

export function useDashboardPath(): [DashboardPath, (path: string) => void] {
  const [path, setPath] = useState(() => parseDashboardPath(window.location.pathname));
  useEffect(() => {
    const onPop = () => setPath(parseDashboardPath(window.location.pathname));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  const navigate = useCallback((to: string) => {
    const url = `/dashboard/${to.replace(/^\/+/, "")}`;
    if (url !== window.location.pathname) window.history.pushState(null, "", url);
    setPath(parseDashboardPath(url));
  }, []);
  return [path, navigate];
}
