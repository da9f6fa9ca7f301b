// Public API of @modelsmith/peft: named exports only, added as each capability lands.
export {};
