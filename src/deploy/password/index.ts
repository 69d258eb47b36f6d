// The Dex user's password (issue 18): policy, bcrypt hashing, the password file, entry without
// echo and `sealed deploy hash-password`.
export { checkPasswordPolicy, PASSWORD_MIN_CHARS, PASSWORD_MAX_BYTES, TUTORIAL_PASSWORD, type PasswordContext } from './policy.ts';
export { hashPassword, passwordMatches, parseBcryptHash, looksLikeBcrypt, BCRYPT_COST, MIN_BCRYPT_COST, MAX_BCRYPT_COST, PUBLISHED_HASHES, type BcryptHash } from './bcryptHash.ts';
export { readPasswordFile, passwordOrHash, PASSWORD_FILE_LIMIT, type PasswordHash, type ReadPasswordFileOptions } from './passwordFile.ts';
export { readPasswordNoEcho, PasswordEntryAborted, STDIN_LIMIT, type PasswordStdin, type PasswordPromptIo, type PasswordPromptOptions } from './prompt.ts';
export { checkSecretOutPath, writeSecretFile, SECRET_FILE_MODE } from './secretFile.ts';
export { hashPasswordCommand, type HashPasswordIo, type HashPasswordOptions } from './command.ts';
