// The shared artifact-store suite (storeSuite.ts) against the local folder store.
import { defineStoreSuite } from './storeSuite.ts';

defineStoreSuite('local');
