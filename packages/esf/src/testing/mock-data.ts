/** The mock's default user: the seed 000 test user (section 2.1.5/2.1.6 samples). */
import type { ProfileInfo, User } from '../generated/types.js';

export interface MockEsfUser {
  readonly login: string;
  readonly password: string;
  readonly user: User;
  readonly profiles: readonly ProfileInfo[];
}

export const SEED_USER_LOGIN = '123456789011';
export const SEED_USER_PASSWORD = 'TestPass123';

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
