/**
 * The fields of `next` whose values differ from `current`. Recomputed values are often the same as
 * the stored ones (time added to a lesson changes no course progress and no XP); writing them anyway
 * would cost a statement and, on the sync server, put the row in every device's next pull.
 */
export function changedFields<T extends object>(current: T, next: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(next).filter(([field, value]) => current[field as keyof T] !== value)) as Partial<T>
}

export const isEmptyPatch = (patch: object): boolean => Object.keys(patch).length === 0
