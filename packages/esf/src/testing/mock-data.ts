/** The mock's default user: the seed 000 test user (section 2.1.5/2.1.6 samples). */
import type { ProfileInfo, User } from '../generated/types.js';

/**
 * A user the ESF mock knows: cabinet credentials, the record currentUser answers, and the profiles
 * (BIN/IIN and role) sessions may be opened for.
 */
export interface MockEsfUser {
  /** Cabinet login (the user's IIN): the UsernameToken's username. */
  readonly login: string;
  /** Cabinet password the UsernameToken must carry. */
  readonly password: string;
  /** What currentUser answers for this user. */
  readonly user: User;
  /**
   * What currentUserProfiles answers; a session can be opened only for an ACTIVE profile's `tin` (else
   * accessDeniedException).
   */
  readonly profiles: readonly ProfileInfo[];
}

/**
 * Login (IIN) of the mock's default user, the ESF seed's test user. Its check digit is not valid: use
 * `checkIdentifiers: false` on the client.
 */
export const SEED_USER_LOGIN = '123456789011';
/** Password of the mock's default user (test-only; not a real account). */
export const SEED_USER_PASSWORD = 'TestPass123';

/**
 * The mock's default users: a fresh copy of the seed test user (login SEED_USER_LOGIN) with four ACTIVE profiles:
 * INDIVIDUAL and ENTREPRENEUR for its own IIN, ADMIN_ENTERPRISE for BINs 123456789021 and 753159846249.
 */
export function seedUsers(): MockEsfUser[] {
  return [
    {
      login: SEED_USER_LOGIN,
      password: SEED_USER_PASSWORD,
      user: {
        login: SEED_USER_LOGIN,
        email: 'man4j@ya.ru',
        issueDate: '01.12.2010',
        issuedBy: 'MINISTRY OF JUSTICE',
        status: 'ACTIVE',
        reason: '',
        taxpayer: {
          tin: SEED_USER_LOGIN,
          nameRu: 'ТЕСТОВ ТЕСТ',
          lastNameRu: 'ТЕСТОВ',
          firstNameRu: 'ТЕСТ',
          middleNameRu: 'ТЕСТОВИЧ',
          lastNameKz: '',
          firstNameKz: '',
          middleNameKz: '',
          nameKz: '',
          addressRu: '010000, КАЗАХСТАН, г. АСТАНА, ул. ТЕСТОВАЯ 4',
          addressKz: '',
          certificateSeries: '13788',
          certificateNum: '1399478',
          resident: true,
          type: 'INDIVIDUAL_ENTREPRENEUR',
          resourceUser: false,
          accounts: [],
        },
      },
      profiles: [
        {
          iin: SEED_USER_LOGIN,
          tin: SEED_USER_LOGIN,
          businessProfileType: 'INDIVIDUAL',
          status: 'ACTIVE',
          type: 'GENERAL',
        },
        {
          iin: SEED_USER_LOGIN,
          tin: SEED_USER_LOGIN,
          businessProfileType: 'ENTREPRENEUR',
          status: 'ACTIVE',
          type: 'GENERAL',
        },
        {
          iin: SEED_USER_LOGIN,
          tin: '123456789021',
          businessProfileType: 'ADMIN_ENTERPRISE',
          status: 'ACTIVE',
          type: 'GENERAL',
          projectName: '',
        },
        {
          iin: SEED_USER_LOGIN,
          tin: '753159846249',
          businessProfileType: 'ADMIN_ENTERPRISE',
          status: 'ACTIVE',
          type: 'GENERAL',
          projectName: '',
        },
      ],
    },
  ];
}
