import { runServiceMain } from "../../platform/host/run-service.js";
import { catalogService } from "./service.js";

runServiceMain(catalogService);
