/** Stores, channels, products, and everything members do on them. */

export { storeAuditNames } from './audit-names.js'
export { listActivityKinds, listChannels } from './catalog.js'
export { catalogRoutes } from './catalog-routes.js'
export type { IngestScope } from './checks.js'
export {
  backInStockDemand,
  backInStockRequests,
  type CategorySales,
  catalogueCategories,
  categoriesBoughtBy,
  describeProducts,
  knownSkus,
  purchasesInCategory,
  salesByCategory,
  salesByMonth,
  storeRegions,
  storesOfMember,
} from './demand.js'
export { fileColumns, type HistoryFormat, type HistoryLine, historyFormats, parseTime, type RejectedLine, regionStyle, rejectsCsv } from './history-formats.js'
export { type ImportOptions, type ImportSummary, importHistory, openHistoryFile, UnreadableHistory } from './history-import.js'
export { claimParkedActivities, recordActivities, registerActivityKind } from './ingest.js'
export { ActivityInput, builtinKinds, IngestResult } from './inputs.js'
export { type Participation, recordParticipation } from './participation.js'
export { activityPrivacy } from './privacy.js'
export { boughtProducts, type ProductName, productNames, storesSelling } from './purchases.js'
export { routes } from './routes.js'
export { activities, activityLines, channels, products, stores, unlinkedSales } from './schema.js'
export {
  type ActivityLineRow,
  type ActivityRow,
  ensureDefaultChannels,
  listStores,
  type MemberSummary,
  memberSummary,
  memberTimeline,
  moveActivity,
  moveActivityBack,
  type Product,
  purchaseCounts,
  type Store,
  setStock,
  type TimelineQuery,
  upsertProducts,
  upsertStores,
} from './service.js'
export { assertMemberInStoreScope, assertStoreInScope, type ScopedStore, storeForWrite, storesInScope, storesToReport } from './store-scope.js'
export { type ActivityListener, type AnnouncedActivity, announceActivities, type RecordedActivity, recordResolvedActivities } from './writer.js'
