import { benchPush } from './sync-push'
import { printTable } from './measure'
printTable(await benchPush())
