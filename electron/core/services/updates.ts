/** updates.status / updates.check / updates.restart: the app's own updates (see updates/controller.ts). */
import type { UpdateStatusView } from '../contract/types'
import type { UpdateController } from '../updates/controller'

export function createUpdatesService(controller: UpdateController) {
  return {
    status: (): Promise<UpdateStatusView> => controller.currentStatus(),
    check: (): Promise<UpdateStatusView> => controller.check(),
    async restart(): Promise<{ restarting: true }> {
      await controller.restart()
      return { restarting: true }
    },
  }
}
