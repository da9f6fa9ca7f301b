// Public API of @modelsmith/conformal: named exports only, added as each capability lands.
export {};
