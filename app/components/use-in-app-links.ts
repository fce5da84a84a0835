import { useNavigate } from "@remix-run/react";
import { type RefObject, useEffect } from "react";

// Plain <a href> links inside `container` navigate as <Link> does (within the app, no reload) once
// the page has hydrated; before that, and with a modifier key or another button, they are ordinary
// links. A <Link> runs the router's hooks for itself on every render: on /symbols, 50 row links and
// the sortable headers cost about 8% of the page's server time, where one listener serves them all.

const followsItself = (event: MouseEvent) =>
  event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;

export function useInAppLinks(container: RefObject<HTMLElement | null>) {
  const navigate = useNavigate();
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const follow = (event: MouseEvent) => {
      if (followsItself(event) || !(event.target instanceof Element)) return;
      const link = event.target.closest("a[href]");
      if (!(link instanceof HTMLAnchorElement) || !element.contains(link)) return;
      if (link.target || link.hasAttribute("download") || link.origin !== window.location.origin) return;
      event.preventDefault();
      navigate(`${link.pathname}${link.search}${link.hash}`);
    };
    element.addEventListener("click", follow);
    return () => element.removeEventListener("click", follow);
  }, [container, navigate]);
}
