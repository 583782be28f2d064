// Part 2 of 4 of the sync convergence property (250 runs each, 1 000 in all): see tests/helpers/sync-property.ts.
import { defineSyncProperty } from '../helpers/sync-property'

defineSyncProperty(250, 'part 2')
