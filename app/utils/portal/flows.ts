import type { TenantConfig } from '@desk/tenant-config'
import type { Lane, Track } from '@desk/workflow'
import type { TFunction } from 'i18next'
import { flowView, type FlowView, type Localize } from './views'

/**
 * The flow charts of a city's tracks, lanes named as the city names them
 * (or generically when its file does not), each saying which proposal
 * types follow it.
 */
export function trackFlows(page: { config: TenantConfig; text: Localize; t: TFunction }, tracks: Track[]): FlowView[] {
  const { config, text, t } = page
  const laneLabel = (lane: Lane) => text(config.laneLabels?.[lane]) || t(`portal:lanes.${lane}`)
  return tracks.map((track) => ({
    ...flowView(track, laneLabel, text),
    appliesTo: config.proposalTypes
      .filter((type) => track.proposalTypes.includes(type.id))
      .map((type) => text(type.label))
      .join(t('portal:flow.separator')),
  }))
}
