/**
 * Run by `medusa exec` (so through Medusa's own services, not SQL): puts a store into the state a
 * seed run leaves behind when it is stopped between two steps. Plain CommonJS without imports,
 * because medusa exec requires it from outside the built project.
 *
 *   medusa exec interrupted-seed.cjs fulfillment-set-unlinked <fulfillment set> <stock location>
 *     the fulfillment set exists but was never linked to the stock location
 */
async function fulfillmentSetUnlinked(container, [setName, locationName]) {
  const [set] = await container.resolve('fulfillment').listFulfillmentSets({ name: setName });
  const [location] = await container.resolve('stock_location').listStockLocations({ name: locationName });
  if (!set || !location)
    throw new Error(`no fulfillment set "${setName}" or stock location "${locationName}"`);
  await container.resolve('link').dismiss({
    stock_location: { stock_location_id: location.id },
    fulfillment: { fulfillment_set_id: set.id },
  });
}

const states = { 'fulfillment-set-unlinked': fulfillmentSetUnlinked };

module.exports.default = async function interruptedSeed({ container, args }) {
  const [state, ...rest] = args;
  const make = states[state];
  if (!make) throw new Error(`unknown state "${state}"; one of ${Object.keys(states).join(', ')}`);
  await make(container, rest);
};
