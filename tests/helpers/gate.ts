/** A promise the test resolves when it chooses: holds a task, a reply or a send until `open()`. */
export interface Gate {
  /** Resolves once `open` is called. */
  promise: Promise<void>;
  open(): void;
}

/** A closed gate. */
export function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
