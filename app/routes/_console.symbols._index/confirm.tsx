import { createContext, type ReactNode, useContext, useState } from "react";
import { ConfirmDialog } from "~/components/confirm-dialog";

// The page's one confirmation dialog. A row's default switch, a row's Deprecate and the bulk bar
// open it with their own question (title, consequence, what confirming does) instead of each
// carrying a dialog of its own: fifty rows, one dialog.

export interface Question {
  title: string;
  confirmLabel: string;
  tone: "danger" | "primary";
  children: ReactNode;
  onConfirm: () => void;
}

const AskContext = createContext<(question: Question) => void>(() => {});

/** Opens the page's dialog with `question`; confirming runs its onConfirm, cancelling nothing. */
export const useAsk = () => useContext(AskContext);

export function ConfirmProvider({ children }: { children: ReactNode }) {
  const [question, setQuestion] = useState<Question | null>(null);
  return (
    <AskContext.Provider value={setQuestion}>
      {children}
      <ConfirmDialog
        open={question !== null}
        title={question?.title ?? ""}
        confirmLabel={question?.confirmLabel ?? ""}
        tone={question?.tone}
        onCancel={() => setQuestion(null)}
        onConfirm={() => {
          setQuestion(null);
          question?.onConfirm();
        }}
      >
        {question?.children}
      </ConfirmDialog>
    </AskContext.Provider>
  );
}
