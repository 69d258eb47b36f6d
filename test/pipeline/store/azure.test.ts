// The shared artifact-store suite (storeSuite.ts) against the Azure Blob store on Azurite.
import { defineStoreSuite } from './storeSuite.ts';

defineStoreSuite('azure');
