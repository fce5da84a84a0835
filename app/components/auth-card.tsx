import type { ReactNode } from "react";
import { Logo } from "./logo";

/** The frame of the signed-out pages (sign-in, first-run setup): a centred card. */
export function AuthCard({
  title,
  subtitle,
  children,
  footer,
}: {
  title: string;
  subtitle: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <div className="flex min-h-screen flex-col items-center justify-center bg-slate-100 px-4 py-12">
      <div className="mb-6 flex items-center gap-2.5">
        <Logo className="size-8" />
        <span className="text-lg font-semibold tracking-tight text-slate-900">Symbol Desk</span>
      </div>
      <main className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-7 shadow-sm">
        <h1 className="text-lg font-semibold text-slate-900">{title}</h1>
        <p className="mt-1 text-[13px] leading-5 text-slate-500">{subtitle}</p>
        <div className="mt-6">{children}</div>
      </main>
      {footer ? <div className="mt-6 max-w-sm text-center text-xs text-slate-600">{footer}</div> : null}
    </div>
  );
}
