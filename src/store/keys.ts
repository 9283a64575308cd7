/**
 * The Store's API coordinates and every label, annotation, finalizer and condition vocabulary
 * the platform writes, in one place: operator, API, dashboard and CLI read these, never literals.
 */

export const storeGroup = 'storeplane.dev';
export const storeVersion = 'v1alpha1';
export const storeApiVersion = `${storeGroup}/${storeVersion}`;
export const storePlural = 'stores';
export const storeKind = 'Store';
/** For CustomObjectsApi calls: `{...storeResource, name}`. */
export const storeResource = { group: storeGroup, version: storeVersion, plural: storePlural } as const;

export const storeFinalizer = 'storeplane.dev/finalizer';
/** Field manager of every server-side apply the operator makes. */
export const fieldManager = 'storeplane';

export const annotations = {
  /** A retry is asked for by setting this to any new value (usually a timestamp). */
  requestedAt: 'storeplane.dev/requested-at',
  /** Set on a workload controller to make Kubernetes try to create its pods again now. */
  retriedAt: 'storeplane.dev/retried-at',
  owner: 'storeplane.dev/owner',
  displayName: 'storeplane.dev/display-name',
  /** On objects the operator owns: a digest of what it last asked for (an update, not drift). */
  desiredDigest: 'storeplane.dev/desired-digest',
} as const;

/** Chart.yaml annotations an engine chart uses to tell the operator about itself. */
export const chartAnnotations = {
  /** The volumes that hold a store's data (see src/operator/charts.ts). */
  dataVolumes: 'storeplane.dev/data-volumes',
} as const;

export const labels = {
  managedBy: 'app.kubernetes.io/managed-by',
  store: 'storeplane.dev/store',
  owner: 'storeplane.dev/owner',
  engine: 'storeplane.dev/engine',
  /** Pod label engine charts set so the guardrail policies can tell the tiers apart. */
  role: 'storeplane.dev/role',
  /** Helm release label: the config digest a revision was made for. */
  configDigest: 'storeplane.dev/config-digest',
  /** Helm release label: the Store's UID. */
  storeUid: 'storeplane.dev/store-uid',
} as const;
export const managedByValue = 'storeplane';

export const conditionTypes = [
  'Ready',
  'Reconciling',
  'Stalled',
  'NamespaceReady',
  'GuardrailsReady',
  'CredentialsReady',
  'Released',
  'WorkloadsReady',
  'SetupComplete',
  'Drifted',
] as const;
export type ConditionType = (typeof conditionTypes)[number];

/**
 * Condition and Event reasons (CamelCase, as Kubernetes conventions ask). Failure reasons of the
 * diagnosis are here too, so clients can map each one to words and a colour.
 */
export const reasons = {
  // Ready / Reconciling / Stalled
  progressing: 'Progressing',
  progressingWithRetry: 'ProgressingWithRetry',
  storeReady: 'StoreReady',
  degraded: 'Degraded',
  recovering: 'Recovering',
  deleting: 'Deleting',
  deleteRetrying: 'DeleteRetrying',
  namespaceDeletionSlow: 'NamespaceDeletionSlow',
  retriesExceeded: 'RetriesExceeded',
  // Stage conditions
  applied: 'Applied',
  present: 'Present',
  namespaceTerminating: 'NamespaceTerminating',
  allReady: 'AllReady',
  hooksSucceeded: 'HooksSucceeded',
  inSync: 'InSync',
  installSucceeded: 'InstallSucceeded',
  upgradeSucceeded: 'UpgradeSucceeded',
  installFailed: 'InstallFailed',
  upgradeFailed: 'UpgradeFailed',
  pendingRelease: 'PendingRelease',
  driftDetected: 'DriftDetected',
  noDriftDetected: 'NoDriftDetected',
  // Refusals that need a person (Stalled at once)
  versionUnavailable: 'VersionUnavailable',
  namespaceTaken: 'NamespaceTaken',
  volumeShrinkRefused: 'VolumeShrinkRefused',
  dataVolumeLost: 'DataVolumeLost',
  // Failures diagnosed from Kubernetes and Helm signals
  quotaExceeded: 'QuotaExceeded',
  podSecurityViolation: 'PodSecurityViolation',
  podCreationRefused: 'PodCreationRefused',
  imagePullFailed: 'ImagePullFailed',
  imageNotPresent: 'ImageNotPresent',
  crashLoopBackOff: 'CrashLoopBackOff',
  containerStartFailed: 'ContainerStartFailed',
  containerConfigError: 'ContainerConfigError',
  unschedulable: 'Unschedulable',
  setupJobFailed: 'SetupJobFailed',
  setupJobDeadlineExceeded: 'SetupJobDeadlineExceeded',
  volumeProvisioningFailed: 'VolumeProvisioningFailed',
  helmTimeout: 'HelmTimeout',
  releaseFailed: 'ReleaseFailed',
  chartRejectedValues: 'ChartRejectedValues',
  immutableField: 'ImmutableFieldRefused',
  permissionDenied: 'PermissionDenied',
  apiUnavailable: 'KubernetesApiUnavailable',
  apiError: 'KubernetesApiError',
  provisioningTimeout: 'ProvisioningTimeout',
  upgradeTimeout: 'UpgradeTimeout',
} as const;
export type Reason = (typeof reasons)[keyof typeof reasons];

/** Event-only reasons (what happened, for `kubectl describe` and the activity ring). */
export const events = {
  provisioning: 'Provisioning',
  updating: 'Updating',
  ready: 'Ready',
  recovered: 'Recovered',
  degraded: 'Degraded',
  retryRequested: 'RetryRequested',
  installed: 'Installed',
  upgraded: 'Upgraded',
  releaseUnlocked: 'ReleaseUnlocked',
  driftDetected: 'DriftDetected',
  driftRepaired: 'DriftRepaired',
  guardrailsUpdated: 'GuardrailsUpdated',
  credentialsGenerated: 'CredentialsGenerated',
  credentialsAdopted: 'CredentialsAdopted',
  volumeExpanded: 'VolumeExpanded',
  volumeNotExpanded: 'VolumeNotExpanded',
  deleting: 'Deleting',
  deleted: 'Deleted',
} as const;
