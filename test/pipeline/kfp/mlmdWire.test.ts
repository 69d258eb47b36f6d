// The protobuf reader and ML Metadata messages (src/pipeline/kfp/mlmd/), field numbers as in
// third_party/ml-metadata/ml_metadata/proto/metadata_store.proto@HEAD. Encoded here by hand, byte
// by byte, so the test does not share the code it checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtoReader, repeatedInts } from '../../../src/pipeline/kfp/mlmd/protoReader.ts';
import { decodeEventsResponse, decodeArtifactsResponse, getEventsByExecutionIds, getContextByTypeAndName } from '../../../src/pipeline/kfp/mlmd/mlmdMessages.ts';
import { grpcWebFrame } from '../../../src/pipeline/kfp/mlmd/grpcWeb.ts';

test('requests: GetContextByTypeAndNameRequest {type_name = 1, context_name = 2}; GetEventsByExecutionIDsRequest repeated ids unpacked (proto2)', () => {
  assert.deepEqual([...getContextByTypeAndName('t', 'r1')], [0x0a, 1, 0x74, 0x12, 2, 0x72, 0x31]);
  assert.deepEqual([...getEventsByExecutionIds([1, 300])], [0x08, 1, 0x08, 0xac, 0x02]);
  assert.deepEqual([...grpcWebFrame(Uint8Array.of(7, 8))], [0, 0, 0, 0, 2, 7, 8]);
});

test('Event {artifact_id = 1, execution_id = 2, path = 3 {steps = 1 {key = 2}}, type = 4}, unknown fields skipped', () => {
  // events = 1 { artifact_id: 5, execution_id: 9, path { steps { key: "model" } }, type: OUTPUT, milliseconds (5): 1, fixed64 field 15 }
  const event = [0x08, 5, 0x10, 9, 0x1a, 9, 0x0a, 7, 0x12, 5, ...Buffer.from('model'), 0x20, 4, 0x28, 1, 0x79, 1, 2, 3, 4, 5, 6, 7, 8];
  assert.deepEqual(decodeEventsResponse(Uint8Array.from([0x0a, event.length, ...event])), [{ artifactId: 5, executionId: 9, path: ['model'], type: 4 }]);
});

test('Artifact {id = 1, uri = 3, custom_properties = 5 (map entry key = 1, Value.string_value = 3), type = 8}', () => {
  const value = [0x1a, 1, 0x6d];
  const entry = [0x0a, 12, ...Buffer.from('display_name'), 0x12, value.length, ...value];
  const artifact = [0x08, 3, 0x1a, 3, ...Buffer.from('s:/'), 0x2a, entry.length, ...entry, 0x42, 1, 0x78];
  const [a] = decodeArtifactsResponse(Uint8Array.from([0x0a, artifact.length, ...artifact]));
  assert.deepEqual([a.id, a.uri, a.type, a.customProperties.get('display_name')], [3, 's:/', 'x', { string: 'm' }]);
});

test('malformed input is refused: lengths past the end, 11-byte varints, groups, ids beyond 2^53, invalid UTF-8; packed ids are read', () => {
  const read = (bytes: number[]): unknown => [...new ProtoReader(Uint8Array.from(bytes)).fields()];
  assert.throws(() => read([0x0a, 5, 1]), /announces 5 bytes, 1 left/);
  assert.throws(() => read([0x08, ...Array(10).fill(0xff), 1]), /varint longer than 10 bytes/);
  assert.throws(() => read([0x0b]), /wire type 3/);
  assert.throws(() => read([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]), /beyond 2\^53/);
  assert.throws(() => decodeArtifactsResponse(Uint8Array.from([0x0a, 3, 0x1a, 1, 0xff])), /not UTF-8/);
  const ids: number[] = [];
  for (const f of new ProtoReader(Uint8Array.from([0x0a, 3, 1, 0xac, 0x02, 0x08, 7])).fields()) repeatedInts(f, ids);
  assert.deepEqual(ids, [1, 300, 7]);
});
