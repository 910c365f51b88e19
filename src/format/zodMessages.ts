/** `profiles.work.headers.X-Token` from a zod issue path (keys with dots or spaces quoted). */
export function formatZodPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) => {
      if (typeof part === 'number') return `[${part}]`;
      const text = String(part);
      const plain = /^[A-Za-z0-9_-]+$/.test(text) ? text : JSON.stringify(text);
      return index === 0 ? plain : `.${plain}`;
    })
    .join('');
}
