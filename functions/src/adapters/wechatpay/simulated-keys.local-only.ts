/**
 * LOCAL-ONLY key material for SimulatedPayProvider (the local stack, tests and the H5 demo build).
 *
 * This private key is public: it is committed to the repository. It stands in for both WeChat
 * Pay's platform key (signing simulated notifications) and the merchant key (signing simulated
 * paySign values), so that a notification built in one process (a test) verifies in another (the
 * API under serverless-offline) without sharing state. RSA keys cannot be derived from a seed
 * with node:crypto, so the key is fixed here and only the APIv3 key and the key id are derived
 * from SIMULATED_PAY_SEED.
 *
 * Never use it for anything real. `paymentProviderFromConfig` refuses the simulated provider on
 * the prod stage, and WechatPayV3Provider refuses this key (see `isLocalOnlyKey`).
 */
export const SIMULATED_PAY_PRIVATE_KEY_PEM = `
-----BEGIN PRIVATE KEY-----
MIIEvwIBADANBgkqhkiG9w0BAQEFAASCBKkwggSlAgEAAoIBAQDMNusuku4Cr0kA
uHwfM3V5DhTarxRzSuVuJV4qZ98QfFdTsUKUqIzEZQJJBUlErL16C3l/CpxLA6Ld
RsXaBsqfx4IcgenOreD09kYtawB1dixD8tXKf5yyAYvHB64fEe4HhmQZUdDTwWiO
m8uK2vpV9ID08Aey2UeJy7URC2Hauwb1RUwa1h3RLUaG0VXYlGiQ6C+kBmZ8OAs/
fIqZP6y72gWg+nBJJCpStKJ7bJy2gP9OUCjUllT0rvEcp2AytocJ/fquWHapTJ3M
dEoGlOr+0fiW0Q824pZ4bFsEgYf1wKrtraUQdd/Hlv7mkQW3tWUaKhRqwFmyuybQ
N7PmT2f/AgMBAAECggEAAIlpXkQVOAted0PD0uy5CZgIqmAzRmpsm1bfYmDfEqZR
aVm0aNez+L6S0akyEXgeHvPxvxGX9uQj5ajni2F3acomUWG2IkdiM/7emtPUraZt
BdtrlyRqG+l7xIDAGXGqS64CHo4IXTx2Z/0HaECN6OpqLHqkXiqrM8LKHhQGwiNu
lougJWOFj/pYCvW7rbfZ+1uJpX6ldrJC1vqtFVsnmXL+Qtmz8E705bwfCNIf1rKp
yOGu3VZw3N4855qNr78JxRrAYpeFUd1Sb40qMCT1UiJj49o8ygsBSaMvZTx7HPwj
ptEXfzADIMortwMyDSxAp5kN5CKH0QPcVaZinHk5mQKBgQDyVIvqqO1MAsHyd1iA
VxookjyCs+AA0R7GOVeSD/MOYLY2ROpO/MK5GjELbCRJGIDq3vMEF2PwlHUQa4rL
Ws6ULpEFpfS7yJsZvbBmjoDLxaWF5uEir629mnBzKcnQgDiONmnV3vyy/wDetl8Y
UNMHBO2bHQa/uVRpucwE/budxwKBgQDXu/LidgugFRrdJiRAdSmAtE13gMM/7cAK
Q+ejS8IhKvV2xgJgx3E8clPfj2XQ+NR/Dp5SWALLPT3j2clcf2IJ+f5PCMPRcQwf
FE78NGu+5LDPr0wIMYtIO5wo6QDcuE/9EaqqdREM5QdHp9skNfJLCtsTWkMpOXrr
UxP/zMJECQKBgQDKtdrNEz5dhTkEQL1xrmsdYSbpFtrdFBGwM6uDbYAemNwTjZaL
OHkTKku4iF/aHXtJ/fI/i+l4CFfcwnk6Ht4LquB5XxfYNbk40SrMv4wR6WXLGxVd
VKP7pUNHsr81gOzOWcoys/OjMBlkNB5cUtAUYRT52lAY9Ukdn+SAkFfvZQKBgQCR
DYVc8SQV6brbUUb0tBJIwHKJ1GDzvgbuoAPCjzCjHoBW8QIuUkt36iMs4P0DihtO
puSa1yRhxPa1Gf1DHT8tGBL+zxTi4RDWYNBO0WxUuO2NZv9HTxCoa7Qu6aOzxJW7
wcIvxHDHa8L+UgWNjlwwSsdMdtdLg6N7UKvUxbclCQKBgQCTslCGttu2xZcZb/Mq
b/AHdkwxDdm1bJrs4CUVelEbF9mSY8+NrfG2EKbgXX6k1SGRDt2TOQMStjh3svBl
Xzpj8nbtSy2m+nP8OhxgfnDaBUoEQSw1bwm0zPhLMnP7MoWxQfbOQvwzfqSzntt8
fY9X8JxZhB/eCfyepi51E3QQnA==
-----END PRIVATE KEY-----
`.trim();
