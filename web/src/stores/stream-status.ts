import { createContext, useContext } from 'react';

/** live: the event stream is open; connecting: opening; offline: down (queries poll meanwhile). */
export type StreamStatus = 'connecting' | 'live' | 'offline';
export const StreamContext = createContext<StreamStatus>('connecting');

export function useStreamStatus(): StreamStatus {
  return useContext(StreamContext);
}
