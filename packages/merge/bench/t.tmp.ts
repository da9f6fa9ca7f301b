import { mixWasmKernels } from '/work/main/packages/merge/src/kernels/mix-wasm.ts';
console.log(mixWasmKernels());
