/** The sample's flows: what each runs, the variable that points it at a real service, and its guide. */
import { runAlsecoSample } from './alseco-flow.js';
import { runEsfSample } from './esf-flow.js';
import { runIsgoSample } from './isgo-flow.js';
import { runSonoFnoSample } from './sono-fno-flow.js';
import { runTrueApiSample } from './true-api-flow.js';

export interface Flow {
  name: string;
  run(log: (line: string) => void): Promise<void>;
  /** The variables that switch the flow from its mock to a real service. */
  realWhen: readonly string[];
  /** The production guide, relative to the repository root. */
  guide: string;
  /** Where a connection that cannot be made usually fails, for the failure hint. */
  network: string;
}

export const FLOWS: readonly Flow[] = [
  {
    name: 'alseco',
    run: runAlsecoSample,
    realWhen: ['ALSECO_ENDPOINT'],
    guide: 'docs/production/alseco.md',
    network:
      'Alseco identifies the bank by the IP address its requests come from: the address must be on the list the bank gave Alseco',
  },
  {
    name: 'true-api',
    run: runTrueApiSample,
    realWhen: ['TRUE_API_BASE_URL', 'TRUE_API_ENVIRONMENT'],
    guide: 'docs/production/true-api.md',
    network: 'True API is on the internet over HTTPS (stage.ismet.kz, elk.prod.markirovka.ismet.kz)',
  },
  {
    name: 'esf',
    run: runEsfSample,
    realWhen: ['ESF_SESSION_ENDPOINT'],
    guide: 'docs/production/esf.md',
    network:
      'ESF is on the internet over HTTPS on port 8443 (test3.esf.kgd.gov.kz, esf.gov.kz): check that outgoing 8443 is open',
  },
  {
    name: 'isgo',
    run: runIsgoSample,
    realWhen: ['ESF_ISGO_ENDPOINT'],
    guide: 'docs/production/esf.md',
    network:
      'ESF and ISGO are on the internet over HTTPS on port 8443 (test3.esf.kgd.gov.kz, esf.gov.kz): check that outgoing 8443 is open',
  },
  {
    name: 'sono-fno',
    run: runSonoFnoSample,
    realWhen: ['SHEP_SYNC_ENDPOINT'],
    guide: 'docs/production/sono-fno.md',
    network:
      'SHEP is reached only through the IPsec VPN to the external e-government gateway (see docs/production/shep.md): check that the tunnel is up',
  },
];
