// Public API of @modelsmith/scaling: named exports only, added as each capability lands.
export {};
