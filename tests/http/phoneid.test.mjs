// web/js/phoneid.js, the phone's SHA-256 and HMAC (written out because
// crypto.subtle is missing on plain-http LAN pages), against node:crypto;
// and the ids and codes it derives.  The server's side of the participant
// code (server/base/pcode.c) is checked against it in test_lifecycle.c
// (a fixed id's code) and lifecycle.test.mjs (an erase by a phone's code).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { sha256, hmacSha256, workshopClientId, participantCode } from '../../web/js/phoneid.js';

test('SHA-256 and HMAC-SHA256 match node:crypto at every padding length', () => {
  for (let n = 0; n <= 200; n++) {
    const data = randomBytes(n);
    assert.equal(Buffer.from(sha256(data)).toString('hex'), createHash('sha256').update(data).digest('hex'), `sha256 of ${n} bytes`);
    const key = randomBytes(n % 90);
    assert.equal(Buffer.from(hmacSha256(key, data)).toString('hex'), createHmac('sha256', key).update(data).digest('hex'), `hmac of ${n} bytes`);
  }
});

test('per-workshop ids and the participant code', () => {
  const secret = '00112233445566778899aabb';
  const expect = createHmac('sha256', Buffer.from(secret, 'hex')).update('inspel-client-id\nabc').digest('hex').slice(0, 24);
  assert.equal(workshopClientId(secret, 'abc'), expect);
  assert.notEqual(workshopClientId(secret, 'abd'), expect);
  // The value server/base/pcode.c gives for the same id (tests/test_lifecycle.c).
  assert.equal(participantCode('phone-aaaa-01'), '4YA9-BPET');
  assert.notEqual(participantCode('phone-aaaa-02'), '4YA9-BPET');
});
