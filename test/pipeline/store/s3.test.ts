// The shared artifact-store suite (storeSuite.ts) against the S3 store on s3rver.
import { defineStoreSuite } from './storeSuite.ts';

defineStoreSuite('s3');
