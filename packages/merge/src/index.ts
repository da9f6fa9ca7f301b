// Public API of @modelsmith/merge: named exports only, added as each capability lands.
export {};
