/** Offline use: the service worker's state and update prompt, persistent storage and the storage estimate. */
export { offline, OfflineController, type OfflineState } from './service-worker.ts';
export {
  isPersisted,
  requestPersistence,
  storageEstimate,
  type StorageEstimateBytes,
} from './persistence.ts';
