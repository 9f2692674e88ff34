import { z } from 'zod';
import { coldkeyPasswordEnv, createWallet, defineCommand, walletSchema } from '@crucible/core';

export const walletCreateSchema = z.strictObject({
  wallet: walletSchema.default(walletSchema.parse({})),
  encrypt: z.boolean().default(false).describe('encrypt the coldkey ($NACL, as btcli) with the password in CRUCIBLE_COLDKEY_PASSWORD_<NAME>'),
  overwrite: z.boolean().default(false).describe('replace existing keys (destroys them)'),
});

export const walletCreateCommand = defineCommand({
  summary: "create a wallet (coldkey + hotkey) in btcli's layout, or add a hotkey to an existing one",
  schema: walletCreateSchema,
  async run(config, { print }) {
    const passwordEnv = coldkeyPasswordEnv(config.wallet.name);
    const password = process.env[passwordEnv];
    if (config.encrypt && !password) {
      print(`--encrypt needs the password in the environment variable ${passwordEnv}`);
      return 2;
    }
    const created = await createWallet(config.wallet, { ...(config.encrypt && password ? { coldkeyPassword: password } : {}), overwrite: config.overwrite });
    print(`wallet ${config.wallet.name} in ${created.files.dir}`);
    print(`  coldkey ${created.coldkeyAddress}${created.coldkeyMnemonic ? ' (new)' : ' (existing)'}`);
    print(`  hotkey  ${config.wallet.hotkey} ${created.hotkeyAddress}`);
    if (created.coldkeyMnemonic) print(`  coldkey mnemonic (write it down, shown once): ${created.coldkeyMnemonic}`);
    print(`  hotkey mnemonic (shown once): ${created.hotkeyMnemonic}`);
  },
});
