import { type LoraConfig, type LoraConfigInput, parseLoraConfig } from '../config/lora-config.js';
import { isTargetModule, matchesModuleList, moduleLoraParameters } from '../config/target-modules.js';
import { peftError } from '../errors.js';
import { floatTensor } from '../io/float-tensor.js';
import { type LoraAdapter, type LoraModuleWeights, loraModuleKeys } from '../io/lora-adapter.js';
import { initLoraFactors, type LoraInit } from './lora-init.js';
import { importWeights, LoraLayer, loraKindOf } from './lora-layer.js';
import {
  internals,
  type Tf,
  type TfLayer,
  type TfLayersModel,
  type TfRuntime,
  type TfVariable,
} from './tf-types.js';

/** Maps a tfjs layer path (nested layer names joined by `.`) to the HF module path used in adapter keys. */
export type NameMapping = (tfjsPath: string, layer: TfLayer) => string;

export interface GetPeftModelOptions {
  /** Name of the first adapter (default `default`). */
  readonly adapterName?: string;
  /** tfjs path → HF module path; default: identity. */
  readonly nameMapping?: NameMapping;
  /** Seed of the factor initialisation. */
  readonly seed?: number;
}

interface ModuleEntry {
  readonly tfjsPath: string;
  readonly path: string;
  readonly layer: TfLayer;
}

/** Every layer of a model, nested models included, with its tfjs and HF paths. */
export function collectLayers(model: TfLayersModel, nameMapping: NameMapping = (p) => p): ModuleEntry[] {
  const out: ModuleEntry[] = [];
  const visit = (layers: readonly TfLayer[], prefix: string) => {
    for (const layer of layers) {
      const tfjsPath = prefix ? `${prefix}.${layer.name}` : layer.name;
      const nested = internals(layer).layers;
      if (Array.isArray(nested) && nested.length > 0) visit(nested, tfjsPath);
      else out.push({ tfjsPath, path: nameMapping(tfjsPath, layer), layer });
    }
  };
  visit(model.layers, '');
  return out;
}

/**
 * A tfjs model with LoRA adapters injected into its Dense, Embedding and Conv2D layers.
 * The model object itself is modified in place (its layers' `call`s are wrapped), so
 * `model.predict`/`model.apply` include the active adapters.
 */
export class PeftModel {
  readonly model: TfLayersModel;
  private readonly tf: Tf;
  private readonly entries: ModuleEntry[];
  private readonly wrappers = new Map<string, LoraLayer>();
  private readonly configs = new Map<string, LoraConfig>();
  private activeNames: string[] = [];
  private readonly seed: number;
  private readonly mutatedInits = new Map<string, { a: Float32Array; b: Float32Array }>();
  // modules_to_save: each adapter owns a copy (tfjs orientation) of those weights; the layer holds the
  // copy of the active adapter (`savedOwner`) or the original values (null).
  private readonly savedKeys = new Map<string, { entry: ModuleEntry; param: 'weight' | 'bias' }>();
  private readonly originalSaved = new Map<string, Float32Array>();
  private readonly savedStore = new Map<string, Map<string, Float32Array>>();
  private savedOwner: string | null = null;
  private adaptersDisabled = false;

  constructor(runtime: TfRuntime, model: TfLayersModel, options: GetPeftModelOptions = {}) {
    this.tf = runtime.tf;
    this.model = model;
    this.entries = collectLayers(model, options.nameMapping);
    this.seed = options.seed ?? 0;
  }

  /** HF module paths of every layer, for writing `target_modules`. */
  modulePaths(): string[] {
    return this.entries.map((entry) => entry.path);
  }

  /** Names of all adapters, and the active ones. */
  get adapterNames(): string[] {
    return [...this.configs.keys()];
  }

  get activeAdapters(): string[] {
    return [...this.activeNames];
  }

  config(name: string): LoraConfig {
    const config = this.configs.get(name);
    if (!config)
      throw peftError(
        'E_CONFIG',
        `no adapter named "${name}"; adapters: ${this.adapterNames.join(', ') || '(none)'}`,
      );
    return config;
  }

  private targets(config: LoraConfig): ModuleEntry[] {
    if (Array.isArray(config.target_modules)) {
      for (const target of config.target_modules) {
        if (!this.entries.some((e) => matchesModuleList(e.path, [target]))) {
          throw peftError(
            'E_CONFIG',
            `target module "${target}" matches no layer; module paths are: ${this.modulePaths().join(', ')}`,
          );
        }
      }
    }
    let matched: ModuleEntry[];
    if (config.target_modules === 'all-linear') {
      const outputs = new Set(this.model.outputs.map((output) => output.sourceLayer.name));
      matched = this.entries.filter((e) => e.layer.getClassName() === 'Dense' && !outputs.has(e.layer.name));
    } else {
      matched = this.entries.filter((e) => isTargetModule(e.path, config));
    }
    if (matched.length === 0) {
      throw peftError(
        'E_CONFIG',
        `target_modules ${JSON.stringify(config.target_modules)} matched no layer; module paths are: ${this.modulePaths().join(', ')}`,
      );
    }
    for (const entry of matched) {
      if (!loraKindOf(entry.layer)) {
        throw peftError(
          'E_CONFIG',
          `target module "${entry.path}" is a ${entry.layer.getClassName()}; LoRA wraps Dense, Embedding and Conv2D layers`,
        );
      }
    }
    return matched;
  }

  private wrapperFor(entry: ModuleEntry): LoraLayer {
    let wrapper = this.wrappers.get(entry.path);
    if (!wrapper) {
      wrapper = new LoraLayer(this.tf, entry.layer, entry.path);
      this.wrappers.set(entry.path, wrapper);
    }
    return wrapper;
  }

  /** Adds a freshly initialised adapter (B = 0 for the default init, so outputs are unchanged). */
  addAdapter(name: string, configInput: Partial<LoraConfigInput> | LoraConfig): void {
    const config = parseLoraConfig(
      { peft_type: 'LORA', ...(configInput as object) },
      `LoRA config "${name}"`,
    );
    if (this.configs.has(name)) throw peftError('E_CONFIG', `adapter "${name}" already exists`);
    const tf = this.tf;
    for (const entry of this.targets(config)) {
      const wrapper = this.wrapperFor(entry);
      const { r, alpha, scaling } = moduleLoraParameters(entry.path, config);
      const { fanIn, out } = wrapper.factorShape();
      const requested = config.init_lora_weights;
      const init =
        typeof requested === 'string' && requested.startsWith('pissa_niter_')
          ? 'pissa'
          : (requested as LoraInit);
      const needsKernel = init === 'pissa' || init === 'olora';
      const kernel = needsKernel ? (wrapper.baseWeight().read().dataSync() as Float32Array) : undefined;
      const factors = initLoraFactors({
        kind: wrapper.kind,
        fanIn,
        out,
        r,
        scaling,
        init,
        seed: this.seed,
        key: `${name}/${entry.path}`,
        layerName: entry.path,
        ...(kernel ? { kernel } : {}),
      });
      if (factors.residualKernel) {
        // Keep the initial factors (tfjs orientation) for subtract_mutated_init on export.
        this.mutatedInits.set(`${name}\u0000${entry.path}`, { a: factors.a, b: factors.b });
        const residual = tf.tensor(factors.residualKernel, wrapper.baseWeight().shape);
        wrapper.baseWeight().write(residual);
        residual.dispose();
      }
      const aShape = wrapper.kind === 'conv2d' ? [...wrapper.baseWeight().shape.slice(0, 3), r] : [fanIn, r];
      const bShape = wrapper.kind === 'conv2d' ? [1, 1, r, out] : [r, out];
      const a = tf.variable(tf.tensor(factors.a, aShape), true);
      const b = tf.variable(tf.tensor(factors.b, bShape), true);
      let magnitude: TfVariable | undefined;
      if (config.use_dora) {
        // m = ‖W₀ + s·B·A‖ per output (Dense unit, embedding dimension or filter).
        magnitude = tf.variable(
          tf.tidy(() =>
            wrapper.weightNorm(tf.add(wrapper.baseWeight().read(), wrapper.deltaFrom(a, b, r, scaling))),
          ),
          true,
        );
      }
      wrapper.addAdapter({
        name,
        r,
        alpha,
        scaling,
        dropout: config.lora_dropout,
        a,
        b,
        ...(magnitude ? { magnitude } : {}),
      });
    }
    this.configs.set(name, config);
    this.registerSaved(name, config, new Map());
    if (this.activeNames.length === 0) this.setAdapter(name);
  }

  /** Loads a PEFT adapter (from `loadAdapter`) under `name`, checking every tensor against its layer. */
  loadAdapter(adapter: LoraAdapter, name = 'default'): void {
    if (this.configs.has(name))
      throw peftError('E_CONFIG', `adapter "${name}" already exists; delete it first`);
    const tf = this.tf;
    const byPath = new Map(this.entries.map((entry) => [entry.path, entry]));
    const prepared: (() => void)[] = [];
    for (const [path, weights] of adapter.modules) {
      const keys = loraModuleKeys(path, weights.kind);
      const entry = byPath.get(path);
      if (!entry) {
        throw peftError(
          'E_CONFIG',
          `tensor "${keys.a}" targets module "${path}", which is not in the model; module paths are: ${this.modulePaths().join(', ')} (use nameMapping to map tfjs layer names)`,
        );
      }
      if (!loraKindOf(entry.layer)) {
        throw peftError(
          'E_CONFIG',
          `tensor "${keys.a}" targets "${path}", a ${entry.layer.getClassName()}; LoRA wraps Dense, Embedding and Conv2D layers`,
        );
      }
      const wrapper = this.wrapperFor(entry);
      if (weights.loraBias) {
        throw peftError(
          'E_CONFIG',
          `tensor "${keys.bias}": lora_bias adapters are not supported by the tfjs layers (use applyAdapterToCheckpoint to merge them)`,
        );
      }
      const converted = importWeights(wrapper, weights, (part) => keys[part]);
      const { alpha, scaling, r } = moduleLoraParameters(path, adapter.config);
      if (r !== converted.r) {
        throw peftError(
          'E_SHAPE_MISMATCH',
          `tensor "${keys.a}" has rank ${converted.r} but the config gives r=${r} for "${path}"`,
        );
      }
      prepared.push(() => {
        const a = tf.variable(tf.tensor(converted.a, converted.aShape), true);
        const b = tf.variable(tf.tensor(converted.b, converted.bShape), true);
        // Held as [out] whatever the file's shape (Conv2d: PEFT's [1, out, 1, 1]).
        const magnitude = weights.magnitude
          ? tf.variable(tf.tensor(weights.magnitude.data, [weights.magnitude.data.length]), true)
          : undefined;
        wrapper.addAdapter({
          name,
          r,
          alpha,
          scaling,
          dropout: adapter.config.lora_dropout,
          a,
          b,
          ...(magnitude ? { magnitude } : {}),
        });
      });
    }
    const initialSaved = new Map<string, Float32Array>();
    for (const [key, tensor] of adapter.savedModules) {
      const dot = key.lastIndexOf('.');
      const modulePath = key.slice(0, dot);
      const param = key.slice(dot + 1);
      const entry = byPath.get(modulePath);
      const variable = entry ? this.savedVariable(entry.layer, param) : undefined;
      if (!variable) {
        throw peftError(
          'E_CONFIG',
          `modules_to_save tensor "${key}" has no matching layer weight in the model`,
        );
      }
      const target = this.tfjsOrientation(entry!.layer, param, tensor.shape, tensor.data, key);
      initialSaved.set(key, Float32Array.from(target.dataSync()));
      target.dispose();
    }
    // All checks passed: only now touch the model.
    for (const apply of prepared) apply();
    this.configs.set(name, adapter.config);
    this.registerSaved(name, adapter.config, initialSaved);
    if (this.activeNames.length === 0) this.setAdapter(name);
    else this.syncSaved();
  }

  /** Full parameters an adapter trains and saves: modules_to_save (`modules`) and biases per `bias` (`bias`). */
  private savedParameters(
    config: LoraConfig,
    which: 'modules' | 'bias' | 'all' = 'all',
  ): { entry: ModuleEntry; param: 'weight' | 'bias' }[] {
    const out: { entry: ModuleEntry; param: 'weight' | 'bias' }[] = [];
    for (const entry of this.entries) {
      const listed = config.modules_to_save !== null && matchesModuleList(entry.path, config.modules_to_save);
      const saved = listed && which !== 'bias';
      for (const param of ['weight', 'bias'] as const) {
        if (!this.savedVariable(entry.layer, param)) continue;
        const biasTrained =
          param === 'bias' &&
          (config.bias === 'all' ||
            (config.bias === 'lora_only' && this.wrappers.get(entry.path)?.adapters.size));
        if (saved || (biasTrained && !listed && which !== 'modules')) out.push({ entry, param });
      }
    }
    return out;
  }

  private registerSaved(name: string, config: LoraConfig, initial: ReadonlyMap<string, Float32Array>): void {
    const store = new Map<string, Float32Array>();
    for (const { entry, param } of this.savedParameters(config, 'modules')) {
      const key = `${entry.path}.${param}`;
      if (!this.savedKeys.has(key)) {
        this.savedKeys.set(key, { entry, param });
        // Not tracked before, so the layer still holds the original values.
        this.originalSaved.set(
          key,
          Float32Array.from(this.savedVariable(entry.layer, param)!.read().dataSync()),
        );
      }
      store.set(key, initial.get(key) ?? this.originalSaved.get(key)!.slice());
    }
    if (store.size > 0) this.savedStore.set(name, store);
  }

  /** Puts the active adapter's modules_to_save copy (or the originals) into the layers. */
  private syncSaved(): void {
    let desired: string | null = null;
    if (!this.adaptersDisabled) {
      const owners = this.activeNames.filter((n) => this.savedStore.has(n));
      if (owners.length > 1) {
        throw peftError(
          'E_CONFIG',
          `adapters ${owners.map((n) => `"${n}"`).join(' and ')} both have modules_to_save; activate only one of them`,
        );
      }
      desired = owners[0] ?? null;
    }
    if (desired === this.savedOwner) return;
    this.writeSaved(desired);
  }

  private writeSaved(desired: string | null): void {
    const tf = this.tf;
    if (this.savedOwner !== null) {
      const store = this.savedStore.get(this.savedOwner);
      if (store) {
        for (const key of store.keys()) {
          const { entry, param } = this.savedKeys.get(key)!;
          store.set(key, Float32Array.from(this.savedVariable(entry.layer, param)!.read().dataSync()));
        }
      }
    }
    for (const [key, { entry, param }] of this.savedKeys) {
      const values =
        (desired !== null ? this.savedStore.get(desired)?.get(key) : undefined) ??
        this.originalSaved.get(key)!;
      const variable = this.savedVariable(entry.layer, param)!;
      const t = tf.tensor(values, variable.shape);
      variable.write(t);
      t.dispose();
    }
    this.savedOwner = desired;
  }

  private savedVariable(layer: TfLayer, param: string) {
    const inner = internals(layer);
    if (param === 'weight') return inner.kernel ?? inner.embeddings ?? inner.gamma ?? undefined;
    if (param === 'bias') return inner.bias ?? inner.beta ?? undefined;
    return undefined;
  }

  private tfjsOrientation(
    layer: TfLayer,
    param: string,
    shape: readonly number[],
    data: Float32Array,
    key: string,
  ) {
    const tf = this.tf;
    const variable = this.savedVariable(layer, param)!;
    const want = variable.shape;
    // Dense kernels are [in, out] in tfjs and [out, in] in PyTorch: transpose at the boundary only.
    if (layer.getClassName() === 'Dense' && param === 'weight') {
      if (shape.length !== 2 || shape[0] !== want[1] || shape[1] !== want[0]) {
        throw peftError(
          'E_SHAPE_MISMATCH',
          `modules_to_save tensor "${key}" has shape [${shape.join(', ')}], expected [${want[1]}, ${want[0]}]`,
        );
      }
      return tf.tidy(() => tf.transpose(tf.tensor(data, [shape[0]!, shape[1]!])));
    }
    if (shape.length !== want.length || shape.some((d, i) => d !== want[i])) {
      throw peftError(
        'E_SHAPE_MISMATCH',
        `modules_to_save tensor "${key}" has shape [${shape.join(', ')}], expected [${want.join(', ')}]`,
      );
    }
    return tf.tensor(data, [...shape]);
  }

  /** Makes `names` the active adapters (their sum applies). */
  setAdapter(names: string | readonly string[]): void {
    const list = typeof names === 'string' ? [names] : [...names];
    for (const name of list) this.config(name);
    this.activeNames = list;
    for (const wrapper of this.wrappers.values())
      wrapper.active = list.filter((n) => wrapper.adapters.has(n));
    this.syncSaved();
  }

  disableAdapters(): void {
    this.adaptersDisabled = true;
    for (const wrapper of this.wrappers.values()) wrapper.disabled = true;
    this.syncSaved();
  }

  enableAdapters(): void {
    this.adaptersDisabled = false;
    for (const wrapper of this.wrappers.values()) wrapper.disabled = false;
    this.syncSaved();
  }

  /** Runs `fn` with adapters disabled (the base model), re-enabling afterwards. */
  withAdaptersDisabled<T>(fn: () => T): T {
    this.disableAdapters();
    try {
      return fn();
    } finally {
      this.enableAdapters();
    }
  }

  /** Adds the active adapters' ΔW into the base weights (DoRA: the re-normalised weight). */
  merge(names: readonly string[] = this.activeNames): void {
    for (const name of names) this.config(name);
    for (const wrapper of this.wrappers.values()) wrapper.merge(names.filter((n) => wrapper.adapters.has(n)));
  }

  /** Subtracts merged deltas again (numerically lossy at float32 rounding). */
  unmerge(): void {
    for (const wrapper of this.wrappers.values()) wrapper.unmerge();
  }

  /** Merges the active adapters and removes every wrapper; returns the plain model. */
  mergeAndUnload(): TfLayersModel {
    this.merge();
    // The active adapter's modules_to_save copy stays in the returned model.
    this.savedOwner = null;
    return this.unload();
  }

  /** Removes every wrapper without merging (merged deltas stay in the weights; modules_to_save revert). */
  unload(): TfLayersModel {
    if (this.savedOwner !== null) this.writeSaved(null);
    this.savedKeys.clear();
    this.originalSaved.clear();
    this.savedStore.clear();
    for (const wrapper of this.wrappers.values()) wrapper.restore();
    this.wrappers.clear();
    this.configs.clear();
    this.activeNames = [];
    return this.model;
  }

  /** Removes one adapter. */
  deleteAdapter(name: string): void {
    this.config(name);
    for (const wrapper of this.wrappers.values()) {
      if (wrapper.merged.includes(name))
        throw peftError('E_CONFIG', `adapter "${name}" is merged; unmerge before deleting it`);
      const state = wrapper.adapters.get(name);
      if (!state) continue;
      state.a.dispose();
      state.b.dispose();
      state.magnitude?.dispose();
      wrapper.adapters.delete(name);
    }
    if (this.savedOwner === name) this.writeSaved(null);
    this.savedStore.delete(name);
    this.configs.delete(name);
    this.setAdapter(this.activeNames.filter((n) => n !== name));
  }

  /** The trainable variables of the active adapters (A, B, DoRA magnitudes, modules_to_save weights). */
  trainableVariables(names: readonly string[] = this.activeNames): TfVariable[] {
    const out: TfVariable[] = [];
    for (const wrapper of this.wrappers.values()) {
      for (const name of names) {
        const state = wrapper.adapters.get(name);
        if (!state) continue;
        out.push(state.a, state.b);
        if (state.magnitude) out.push(state.magnitude);
      }
    }
    const seen = new Set<TfVariable>(out);
    for (const name of names) {
      const which = name === this.savedOwner ? 'all' : 'bias';
      for (const { entry, param } of this.savedParameters(this.config(name), which)) {
        const variable = this.savedVariable(entry.layer, param)!.read() as TfVariable;
        if (!seen.has(variable)) {
          seen.add(variable);
          out.push(variable);
        }
      }
    }
    return out;
  }

  /** Trainable (adapter) and total parameter counts; total = base + adapters. */
  parameterCounts(names: readonly string[] = this.activeNames): { trainable: number; total: number } {
    const trainable = this.trainableVariables(names).reduce((sum, v) => sum + v.size, 0);
    const base = this.model.weights.reduce(
      (sum, w) => sum + (w.shape as number[]).reduce((a, b) => a * b, 1),
      0,
    );
    let adapters = 0;
    for (const wrapper of this.wrappers.values())
      for (const state of wrapper.adapters.values())
        adapters += state.a.size + state.b.size + (state.magnitude?.size ?? 0);
    return { trainable, total: base + adapters };
  }

  /**
   * PEFT's `subtract_mutated_init`: PiSSA/OLoRA moved s·B₀A₀ out of W₀, so the adapter that applies
   * to the original W₀ is s·(BA − B₀A₀) = s·[B | −B₀]·[A ; A₀], a plain LoRA of rank 2r. Alpha is
   * rescaled so the scaling is unchanged (×2, or ×√2 with rsLoRA).
   */
  private subtractMutatedInit(name: string, config: LoraConfig, modules: Map<string, LoraModuleWeights>) {
    const init = config.init_lora_weights;
    if (init !== 'olora' && !(typeof init === 'string' && init.startsWith('pissa'))) {
      throw peftError(
        'E_CONFIG',
        `subtractMutatedInit applies to PiSSA/OLoRA adapters; "${name}" was initialised with ${JSON.stringify(init)}`,
      );
    }
    const factor = config.use_rslora ? Math.SQRT2 : 2;
    const out = new Map<string, LoraModuleWeights>();
    const rankPattern: Record<string, number> = {};
    const alphaPattern: Record<string, number> = {};
    for (const [path, module] of modules) {
      const initial = this.mutatedInits.get(`${name}\u0000${path}`)!;
      const { r, alpha } = moduleLoraParameters(path, config);
      const fanIn = module.loraA.shape[1]!;
      const outDim = module.loraB.shape[0]!;
      const a = new Float32Array(2 * r * fanIn);
      a.set(module.loraA.data);
      for (let c = 0; c < r; c++)
        for (let i = 0; i < fanIn; i++) a[(r + c) * fanIn + i] = initial.a[i * r + c]!;
      const b = new Float32Array(outDim * 2 * r);
      for (let o = 0; o < outDim; o++) {
        for (let c = 0; c < r; c++) {
          b[o * 2 * r + c] = module.loraB.data[o * r + c]!;
          b[o * 2 * r + r + c] = -initial.b[c * outDim + o]!;
        }
      }
      out.set(path, {
        kind: module.kind,
        loraA: floatTensor([2 * r, fanIn], a),
        loraB: floatTensor([outDim, 2 * r], b),
      });
      if (r !== config.r) rankPattern[path] = 2 * r;
      if (alpha !== config.lora_alpha) alphaPattern[path] = alpha * factor;
    }
    const next = parseLoraConfig({
      ...config,
      r: 2 * config.r,
      lora_alpha: config.lora_alpha * factor,
      rank_pattern: rankPattern,
      alpha_pattern: alphaPattern,
      init_lora_weights: true,
    });
    return { config: next, modules: out };
  }

  /** Exports an adapter in PEFT format (factors transposed to PyTorch orientation). */
  getAdapter(
    name = this.activeNames[0] ?? 'default',
    options: { subtractMutatedInit?: boolean } = {},
  ): LoraAdapter {
    let config = this.config(name);
    const modules = new Map<string, LoraModuleWeights>();
    for (const wrapper of this.wrappers.values()) {
      if (wrapper.adapters.has(name)) modules.set(wrapper.path, wrapper.exportWeights(name));
    }
    if (options.subtractMutatedInit) {
      const converted = this.subtractMutatedInit(name, config, modules);
      config = converted.config;
      for (const [path, module] of converted.modules) modules.set(path, module);
    }
    const savedModules = new Map<string, ReturnType<typeof floatTensor>>();
    for (const { entry, param } of this.savedParameters(config)) {
      const variable = this.savedVariable(entry.layer, param)!;
      const key = `${entry.path}.${param}`;
      // Another adapter's modules_to_save copy may be in the layer: read this adapter's own copy.
      const stored = name !== this.savedOwner ? this.savedStore.get(name)?.get(key) : undefined;
      const data = stored ?? Float32Array.from(variable.read().dataSync());
      if (entry.layer.getClassName() === 'Dense' && param === 'weight') {
        const [rows, cols] = variable.shape as [number, number];
        const t = new Float32Array(data.length);
        for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = data[r * cols + c]!;
        savedModules.set(key, floatTensor([cols, rows], t));
      } else {
        savedModules.set(key, floatTensor(variable.shape, data.slice()));
      }
    }
    return { config, modules, savedModules };
  }

  /** The wrapper of one module (for inspection and tests). */
  loraLayer(path: string): LoraLayer | undefined {
    return this.wrappers.get(path);
  }
}

/**
 * Injects LoRA into `model` per `config` (PEFT field names: `r`, `lora_alpha`, `target_modules`, …)
 * and returns the `PeftModel` that manages it.
 */
export function getPeftModel(
  runtime: TfRuntime,
  model: TfLayersModel,
  config: Partial<LoraConfigInput>,
  options: GetPeftModelOptions = {},
): PeftModel {
  const peft = new PeftModel(runtime, model, options);
  peft.addAdapter(options.adapterName ?? 'default', {
    peft_type: 'LORA',
    ...(config as object),
  } as LoraConfigInput);
  return peft;
}
