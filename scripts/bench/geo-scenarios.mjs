// The geography mode's model of the world: milliseconds each kind of call waits before
// it runs locally (the local run's own time stands in for D1/KV execution, image
// processing and page rendering). Sources are listed in README.md, "Latency from around
// the world"; figures marked (estimate) have no published measurement behind them.

// Round trips, in ms.
const RTT = {
  // User to the nearest Cloudflare location (estimate).
  userToEdge: 10,
  // Worker to a service elsewhere in its own region: Cloudflare's placement docs quote
  // 20-30 ms per query to a database in the same region without placement.
  sameRegion: 20,
  // Worker placed next to the service: the same docs quote 1-3 ms.
  placed: 2,
  // Average pings between AWS regions (ap-southeast-2, us-west-1, us-east-1).
  sydneyToUsWest: 158,
  sydneyToUsEast: 230,
  usWestToUsEast: 72,
};

// Service time of one S3 request for a small object: AWS's S3 performance guide puts
// median latencies of small requests "in the tens of milliseconds" (estimate: 25).
const S3_SERVICE = 25;
// A KV read served from the location's cache (estimate; Cloudflare reports under 1 ms
// for the hottest keys held in memory).
const KV_HOT = 2;
// Images and Email Service calls stay inside Cloudflare's network (estimates).
const IMAGES = 20;
const EMAIL = 20;

// Every call kind the counting Worker knows (scripts/bench/metered-*.js):
// request: once per page, the user's round trip to the Worker;
// d1Primary / d1Replica: one D1 query (null replica: none, reads go to the primary);
// kvRead: a KV get served from the location's cache ("hot");
// kvCold: a KV get the cache cannot serve, fetched from the central stores;
// kvWrite: KV put, delete and list (always the central stores);
// fetch: one S3 request; images: one Images call; email: one send.
// Not a wait: kvAwaySeconds, the time since this user's last page at this location (0:
// just now; null: the location has never read their session). A read is hot when its
// cacheTtl (60 s if it names none) is longer than that (metered-bindings.js kvWaitKind).
function scenario(id, name, where, latency) {
  return { id, name, where, latency: { request: RTT.userToEdge, d1Replica: null, kvRead: KV_HOT, kvAwaySeconds: 0, images: IMAGES, email: EMAIL, ...latency } };
}

// KV's central stores are in a few undisclosed data centres; modelled as one trans-Pacific
// round trip from Sydney and one regional round trip from the US (estimate).
const sydney = { d1Primary: RTT.sydneyToUsWest, kvWrite: RTT.sydneyToUsWest, kvCold: RTT.sydneyToUsWest, fetch: RTT.sydneyToUsEast + S3_SERVICE };
const sydneyWithReplica = { ...sydney, d1Replica: RTT.sameRegion };
const TEN_MINUTES = 10 * 60;

export const SCENARIOS = [
  scenario('local', 'This machine only', 'no modelled network: what the local run itself takes', {
    request: 0, d1Primary: 0, kvRead: 0, kvCold: 0, kvWrite: 0, fetch: 0, images: 0, email: 0,
  }),
  scenario('near', 'User near everything', 'user, Worker, D1 primary (WNAM) and S3 (us-west) in one region', {
    d1Primary: RTT.sameRegion, kvWrite: RTT.sameRegion, kvCold: RTT.sameRegion, fetch: RTT.sameRegion + S3_SERVICE,
  }),
  scenario('sydney', 'Sydney, no replica', 'Worker in Sydney; D1 primary in WNAM, no read replica; S3 in us-east-1', sydney),
  scenario('sydney-replica', 'Sydney, D1 replica', 'as above, D1 read replication on: reads from a replica in Oceania', sydneyWithReplica),
  scenario('sydney-away-10min', 'Sydney, D1 replica, back after 10 min', 'as above, the first page after 10 minutes away: KV serves it from the Sydney cache if the read\'s cacheTtl outlives that', {
    ...sydneyWithReplica, kvAwaySeconds: TEN_MINUTES,
  }),
  scenario('sydney-kv-empty', 'Sydney, D1 replica, KV empty', 'as above, a first page at a location whose KV cache holds nothing for this session yet', {
    ...sydneyWithReplica, kvAwaySeconds: null,
  }),
  scenario('sydney-kv-empty-no-replica', 'Sydney, no replica, KV empty', 'D1 primary in WNAM, no replica, and nothing in the Sydney KV cache yet', {
    ...sydney, kvAwaySeconds: null,
  }),
  scenario('sydney-s3-near', 'Sydney, D1 replica, S3 near', 'as "Sydney, D1 replica" with the bucket in ap-southeast-2 (or R2 with an Oceania hint)', {
    ...sydneyWithReplica, fetch: RTT.sameRegion + S3_SERVICE,
  }),
  scenario('smart-placement', 'Sydney, Smart Placement', 'Worker runs next to the D1 primary in WNAM: every page crosses the Pacific once; S3 in us-east-1', {
    request: RTT.userToEdge + RTT.sydneyToUsWest, d1Primary: RTT.placed, kvWrite: RTT.sameRegion, kvCold: RTT.sameRegion, fetch: RTT.usWestToUsEast + S3_SERVICE,
  }),
  scenario('hint-us-east-1', 'Sydney, placement hint aws:us-east-1', 'Worker runs next to the S3 bucket: D1 writes cross the US, reads use the ENAM replica', {
    request: RTT.userToEdge + RTT.sydneyToUsEast, d1Primary: RTT.usWestToUsEast, d1Replica: RTT.sameRegion, kvWrite: RTT.usWestToUsEast, kvCold: RTT.usWestToUsEast, fetch: RTT.placed + S3_SERVICE,
  }),
];
