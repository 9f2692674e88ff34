// Replaced below once the launcher exists.
export default async function setup(): Promise<() => Promise<void>> {
  return async () => {};
}
