import { afterEach, beforeEach } from 'vitest';

/** An empty repository and how to dispose of it. */
export interface OpenedRepository<Repository> {
  repository: Repository;
  close(): Promise<void>;
}

/**
 * Opens a fresh store before each test of the enclosing describe, hands it to `use`, and closes
 * it after the test: the setup every storage contract shares.
 */
export function openForEachTest<Opened extends { close(): Promise<void> }>(
  open: () => Promise<Opened>,
  use: (opened: Opened) => void,
): void {
  let opened: Opened | undefined;
  beforeEach(async () => {
    opened = await open();
    use(opened);
  });
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });
}
