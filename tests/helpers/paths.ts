import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const COURSES_DIR = fileURLToPath(new URL('../../resources/courses', import.meta.url))
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url))
