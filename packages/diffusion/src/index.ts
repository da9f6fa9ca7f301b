// Public API of @modelsmith/diffusion: named exports only, added as each capability lands.
export {};
