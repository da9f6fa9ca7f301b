// Public API of @modelsmith/eval: named exports only, added as each capability lands.
export {};
