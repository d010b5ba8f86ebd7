import { useEffect, useRef, useState, type ReactNode } from 'react';
import { createContext, useContext } from 'react';

export interface Me {
  personId: string | null;
  orgId: string;
  roles: string[];
  operations: string[];
  email?: string;
  displayName?: string;
}

export const MeContext = createContext<Me | undefined>(undefined);

/** May the signed-in admin perform this operation of the permission matrix? (The server still checks.) */
export function useCan(): (operation: string) => boolean {
  const me = useContext(MeContext);
  return (op) => !!me?.operations.includes(op);
}

export function useMe(): Me {
  return useContext(MeContext)!;
}

/** The page heading; takes focus when the page changes so screen readers announce it. */
export function PageTitle({ children }: { children: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${children} · Keyward console`;
    ref.current?.focus();
  }, [children]);
  return (
    <h1 tabIndex={-1} ref={ref}>
      {children}
    </h1>
  );
}

export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {error instanceof Error ? error.message : String(error)}
    </p>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="notice">
      {children}
    </p>
  );
}

let fieldSeq = 0;
export function Field(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  type?: string;
  required?: boolean;
  hint?: string;
  name?: string;
}) {
  const [id] = useState(() => `f${++fieldSeq}`);
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        required={props.required}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.hint && (
        <small id={`${id}-hint`} className="hint">
          {props.hint}
        </small>
      )}
    </div>
  );
}

/** A modal confirmation (native <dialog>: focus trapped, Esc cancels). */
export function ConfirmButton(props: {
  label: string;
  question: string;
  confirmLabel?: string;
  onConfirm: () => Promise<void> | void;
  danger?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm();
      ref.current?.close();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        className={props.danger ? 'danger' : undefined}
        onClick={() => ref.current?.showModal()}
      >
        {props.label}
      </button>
      <dialog ref={ref} aria-label={props.question}>
        <p>{props.question}</p>
        <ErrorMessage error={error} />
        <div className="actions">
          <button
            type="button"
            className={props.danger ? 'danger' : undefined}
            disabled={busy}
            onClick={() => void confirm()}
          >
            {props.confirmLabel ?? props.label}
          </button>
          <button type="button" onClick={() => ref.current?.close()}>
            Cancel
          </button>
        </div>
      </dialog>
    </>
  );
}

/** Loads data for a page; `reload()` after a change. */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: unknown[],
): { data?: T; error?: unknown; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}

export function when(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

/** The organization being managed: the admin's own, or a customer org picked on the Organizations page. */
export interface ManagedOrg {
  id: string;
  name: string;
  code: string;
  home: boolean;
}

export const OrgContext = createContext<{ org?: ManagedOrg; switchTo: (org: ManagedOrg) => void }>({
  switchTo: () => {},
});

export function useOrg() {
  return useContext(OrgContext);
}

/** Adds `orgId` (the APIs' way to act in a customer org) to a path when a customer org is managed. */
export function useInOrg(): (path: string) => string {
  const { org } = useOrg();
  return (path) => {
    if (!org || org.home) return path;
    return `${path}${path.includes('?') ? '&' : '?'}orgId=${encodeURIComponent(org.id)}`;
  };
}

/** Runs an async action for a form: busy flag, error in words. */
export function useAction(): {
  busy: boolean;
  error: unknown;
  run: (fn: () => Promise<void>) => Promise<void>;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

/** Previous/next buttons under a server-paged list; a missing handler disables its button. */
export function Pager(props: { previous?: () => void; next?: () => void; labels?: [string, string] }) {
  const [previous, next] = props.labels ?? ['Previous page', 'Next page'];
  return (
    <div className="pager">
      <button type="button" disabled={!props.previous} onClick={props.previous}>
        {previous}
      </button>
      <button type="button" disabled={!props.next} onClick={props.next}>
        {next}
      </button>
    </div>
  );
}

/** Paging by a stack of the pages visited (a Link header's next URL, or a cursor): back pops, next pushes. */
export function stackPaging(
  stack: string[],
  setStack: (pages: string[]) => void,
  next: string | undefined,
): { previous?: () => void; next?: () => void } {
  return {
    previous: stack.length ? () => setStack(stack.slice(0, -1)) : undefined,
    next: next ? () => setStack([...stack, next]) : undefined,
  };
}
