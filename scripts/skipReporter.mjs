// A node:test reporter that writes one JSON line per skipped or todo test or suite. node's own summary
// ("ℹ skipped N") leaves out skipped suites (describe(…, { skip })) — their tests never run, so they are
// never counted — and counts todo apart; scripts/test.mjs reads these lines to report every skip.
export default async function* skipReporter(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { name, file, skip, todo, details } = event.data;
    if (skip === undefined && todo === undefined) continue;
    const kind = skip !== undefined ? 'skip' : 'todo';
    const reason = kind === 'skip' ? skip : todo;
    yield `${JSON.stringify({
      kind,
      suite: details?.type === 'suite',
      name,
      file,
      reason: typeof reason === 'string' ? reason : '',
    })}\n`;
  }
}
