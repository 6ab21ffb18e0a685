// Emberlab's lab worker: runs the page's own wasm module off the main thread. The page posts
// the URLs of its wasm-bindgen glue and wasm and the worker's role; their `main` sees a worker
// and starts that role's training loop (crates/app/src/worker/role.rs).

// Same shim as index.html: burn 0.22 / cubecl 0.11 emit `enable subgroups;` but wgpu's web back
// end never requests the feature (wgpu issue #10146). Drop once burn ships a fixed wgpu.
(function () {
  if (!("GPUAdapter" in self)) return;
  const request = GPUAdapter.prototype.requestDevice;
  GPUAdapter.prototype.requestDevice = function (descriptor) {
    const d = Object.assign({}, descriptor || {});
    const features = Array.from(d.requiredFeatures || []);
    if (this.features.has("subgroups") && !features.includes("subgroups")) {
      features.push("subgroups");
    }
    d.requiredFeatures = features;
    return request.call(this, d);
  };
})();

// A module that cannot load (offline, a failed fetch) rejects a promise, which the page would
// never hear of: rethrown from a task, it becomes the worker's `error` event on the page.
self.onmessage = async (event) => {
  self.onmessage = null;
  const { glue, wasm, role } = event.data;
  // Which job this worker does (crates/app/src/worker/role.rs); read by the module's `main`.
  self.__emberlabRole = role;
  try {
    const module = await import(glue);
    await module.default({ module_or_path: wasm });
  } catch (error) {
    setTimeout(() => {
      throw new Error(`the lab's module could not load (${error && error.message ? error.message : error})`);
    });
  }
};
