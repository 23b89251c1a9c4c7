// onnxruntime-node's loader for the profile scripts, with the compiled Eq. 8 step's session (the one
// fed hundreds of state tensors) wrapped: the feeds of its 20th run are kept in `captured.value`
// ({ model, feeds }), and every run goes through `around(run)` (a timer, say; by default as is).
export function stepSessionLoader(runtime, around = (run) => run()) {
  const captured = {};
  const loader = () => {
    const real = runtime.loadOnnxruntimeNode();
    return {
      ...real,
      createSession(model, options) {
        const s = real.createSession(model, options);
        if (s.inputNames.length < 10) return s;
        let runs = 0;
        return {
          inputNames: s.inputNames,
          outputNames: s.outputNames,
          dispose: () => s.dispose(),
          run(feeds) {
            if (++runs === 20) captured.value = { model, feeds: Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, { data: t.data.slice(), dims: t.dims }])) };
            return around(() => s.run(feeds));
          },
        };
      },
    };
  };
  return { loader, captured };
}
