"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";

/**
 * The one way a page keeps its view state (filters, tabs, search) in the URL, so a view can be
 * linked, reloaded and shared: `value(name)` reads a parameter, `set({...})` writes some at once
 * (null or "" removes one) with history.replace, never a new history entry or a scroll.
 */
export function useUrlState() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const value = (name: string): string | undefined => params.get(name) || undefined;
  const set = (patch: Record<string, string | null | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [name, v] of Object.entries(patch)) {
      if (v) next.set(name, v);
      else next.delete(name);
    }
    const query = next.toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  };
  return { value, set };
}

/**
 * A text box backed by a URL parameter: it answers at once as the user types and writes the
 * URL 300 ms after the typing stops. `extra` goes into the URL with it (the tab it belongs to).
 */
export function useUrlSearch(name: string, extra: Record<string, string> = {}) {
  const url = useUrlState();
  const inUrl = url.value(name) ?? "";
  const [text, setText] = useState(inUrl);
  useEffect(() => {
    if (text.trim() === inUrl) return;
    const timer = setTimeout(() => url.set({ ...extra, [name]: text.trim() || null }), 300);
    return () => clearTimeout(timer);
  }); // no dependency list: it compares the box with the URL after every render
  return { text, setText, value: inUrl || undefined };
}
