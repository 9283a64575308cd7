import type {
  CustomObjectsApi,
  KubeConfig,
  KubernetesListObject,
  KubernetesObject,
} from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { resilientInformer } from '../../kube/informer.ts';
import { storeApiVersion, storeKind, storeResource } from '../../store/keys.ts';
import type { Store } from '../../store/schema.ts';

export type StoreChangeType = 'upsert' | 'delete';
/** `previous`: the store as this directory had it before the change (undefined for a new one). */
export type StoreChangeListener = (type: StoreChangeType, store: Store, previous?: Store) => void;

export interface StoreDirectoryOptions {
  kc: KubeConfig;
  custom: CustomObjectsApi;
  log: Logger;
}

export const storeCollectionPath = `/apis/${storeResource.group}/${storeResource.version}/${storeResource.plural}`;

/**
 * Every Store, as the API server has it, kept by a resilient informer (list, then watch; relist
 * after 410 Gone or any error). The API reads stores here, never from the API server per request.
 * Changes are told once per resourceVersion: a relist after a reconnect repeats nothing the
 * listeners already heard, and tells them of stores deleted while the watch was down.
 */
export class StoreDirectory {
  private readonly stores = new Map<string, Store>();
  /** uids of stores seen deleted (the latest 1,024): a late event or write of theirs is stale. */
  private readonly gone = new Set<string>();
  private readonly listeners = new Set<StoreChangeListener>();
  private informer?: ReturnType<typeof resilientInformer<KubernetesObject>>;
  private started?: Promise<void>;
  private resolveStarted: () => void = () => {};
  private isSynced = false;
  private sorted?: Store[];
  private stopped = false;

  constructor(private readonly opts: StoreDirectoryOptions) {}

  /** Starts the informer; resolves once the first list is in (or when stopped first). */
  start(): Promise<void> {
    if (this.started) return this.started;
    this.started = new Promise<void>((resolve) => {
      this.resolveStarted = resolve;
    });
    const { kc, custom, log } = this.opts;
    // Store's metadata keeps timestamps as the strings the API server sends (client-node's
    // V1ObjectMeta claims Date objects, which a custom resource never gets), hence the casts.
    const informer = resilientInformer<KubernetesObject>(
      kc,
      storeCollectionPath,
      () => this.listAndTakeIn(custom) as Promise<KubernetesListObject<KubernetesObject>>,
      log,
    );
    // The informer's own cache decides add or update; this directory keeps its own map, so a
    // relist (which the informer reports as adds and updates) is compared by resourceVersion.
    informer.on('add', (s) => this.upsert(s as unknown as Store));
    informer.on('update', (s) => this.upsert(s as unknown as Store));
    informer.on('delete', (s) => this.remove(s as unknown as Store));
    this.informer = informer;
    // A failed first list is retried by the informer (with backoff); `started` waits for it.
    informer
      .start()
      .catch((err: unknown) => log.warn({ err: String(err) }, 'store informer failed to start'));
    return this.started;
  }

  /** True once the first list of stores has been taken in. */
  synced(): boolean {
    return this.isSynced;
  }

  /**
   * Every store, sorted by name. Sorted once per change, not per call: the list route reads it on
   * every request (callers must not mutate the array).
   */
  list(): readonly Store[] {
    this.sorted ??= [...this.stores.values()].sort((a, b) =>
      a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0,
    );
    return this.sorted;
  }

  get(name: string): Store | undefined {
    return this.stores.get(name);
  }

  /**
   * Takes in a store as one of the API's own writes returned it (create, retry, delete), so the
   * caller's next read shows its write even before the watch brings it (read-your-writes). The
   * watch event for the same write is then a no-op, and an older one is ignored.
   */
  observe(store: Store): void {
    if (this.isSynced) this.upsert(store);
  }

  /** Takes in a delete of the API's that removed the store at once (it had no finalizer). */
  observeDeleted(store: Store): void {
    if (this.isSynced) this.remove(store);
  }

  /** Told of every change after it is in the directory (so `list()` inside it already shows it). */
  onChange(fn: StoreChangeListener): () => void {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.resolveStarted();
    await this.informer?.stopForGood();
    this.listeners.clear();
  }

  /**
   * The informer's list function: the list is also applied here, before the informer sees it,
   * so stores that vanished while the watch was down are told as deletes and `synced()` turns
   * true only when the directory holds the whole list.
   */
  private async listAndTakeIn(custom: CustomObjectsApi): Promise<{ items: Store[] }> {
    const list = (await custom.listClusterCustomObject(storeResource)) as { items: Store[] };
    if (this.stopped) return list;
    const names = new Set(list.items.map((s) => s.metadata.name));
    for (const [name, had] of this.stores) if (!names.has(name)) this.remove(had);
    for (const s of list.items) this.upsert(s);
    if (!this.isSynced) {
      this.isSynced = true;
      this.resolveStarted();
    }
    return list;
  }

  private upsert(obj: Store): void {
    if (this.stopped) return;
    const store = withKind(obj);
    const name = store.metadata.name;
    if (store.metadata.uid && this.gone.has(store.metadata.uid)) return;
    let had = this.stores.get(name);
    const rv = store.metadata.resourceVersion;
    if (had && had.metadata.uid === store.metadata.uid && !isNewer(rv, had.metadata.resourceVersion)) return;
    if (had && had.metadata.uid !== store.metadata.uid) {
      // Deleted and made again under the same name while the watch was down: two stores, not one.
      this.stores.delete(name);
      this.sorted = undefined;
      this.emit('delete', had, had);
      had = undefined;
    }
    this.stores.set(name, store);
    this.sorted = undefined;
    this.emit('upsert', store, had);
  }

  private remove(obj: Store): void {
    if (this.stopped) return;
    const had = this.stores.get(obj.metadata.name);
    const uid = obj.metadata.uid;
    if (uid) {
      this.gone.add(uid);
      if (this.gone.size > 1024) this.gone.delete(this.gone.values().next().value as string);
    }
    if (!had || (uid && had.metadata.uid && uid !== had.metadata.uid)) return;
    this.stores.delete(obj.metadata.name);
    this.sorted = undefined;
    this.emit('delete', withKind(obj), had);
  }

  private emit(type: StoreChangeType, store: Store, previous: Store | undefined): void {
    for (const fn of this.listeners) {
      try {
        fn(type, store, previous);
      } catch (err) {
        this.opts.log.error(
          { store: store.metadata.name, err: err instanceof Error ? err.message : String(err) },
          'store change listener failed',
        );
      }
    }
  }
}

/**
 * Whether resourceVersion `rv` is later than `than` for the same object. The API server's are
 * etcd revisions, integers that grow with every write; any other form can only be told apart,
 * so it counts as newer unless equal.
 */
export function isNewer(rv: string | undefined, than: string | undefined): boolean {
  if (rv === undefined || than === undefined) return true;
  if (/^[0-9]+$/.test(rv) && /^[0-9]+$/.test(than)) return BigInt(rv) > BigInt(than);
  return rv !== than;
}

/** List items can come without apiVersion and kind; every Store handed out has them. */
function withKind(obj: Store): Store {
  return obj.apiVersion === storeApiVersion && obj.kind === storeKind
    ? obj
    : { ...obj, apiVersion: storeApiVersion, kind: storeKind };
}
